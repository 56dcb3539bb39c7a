// address.* (rules.md §5): the fields of one Address Record, at FDID or Customer level [Table 8].
//
// The list structure (ADDRESS1 present, addrType valid, consecutive, no duplicates) belongs to fdid.address1
// (rules_fdid.cc) and customer.address (rules_customer.cc); this file checks each record's own fields. Field
// facts (lengths, country and region lists, postal formats) come from the profile; the only thing encoded
// here is which of a field's App B codes applies to which owner, because the profile lists both levels' codes
// on the one shared Address Record object.
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "model/model.h"
#include "spec/spec.h"
#include "validate/context.h"

namespace caisson::validate {

namespace {

// App B codes by owner [App B Table 28: FDID 22035–22039, 22056, 22060; Customer 22515, 22517–22521, 22528].
struct AddressCodes {
  std::string_view line1_missing;  // address.lines
  std::string_view line_order;     // address.lines
  std::string_view line_format;    // address.lengths
  std::string_view city;           // address.lengths
  std::string_view region;         // address.lengths, address.us_region
  std::string_view country;        // address.country
  std::string_view postal;         // address.lengths, address.us_region
};
constexpr AddressCodes kFdidCodes{"22056", "22035", "22060", "22036", "22037", "22038", "22039"};
constexpr AddressCodes kCustomerCodes{"22515", "22517", "22528", "22518", "22519", "22520", "22521"};

// Military and diplomatic addresses [§5.1.3.1 R36; §5.1.3.2 R15]: country US, one of these regions, and one
// of these cities.
constexpr std::array<std::string_view, 3> kMilitaryRegions = {"US-AA", "US-AE", "US-AP"};
constexpr std::array<std::string_view, 3> kMilitaryCities = {"APO", "DPO", "FPO"};

// US territories given as a US region [App E fn 6]: no ISO 3166-2 region or postal code validation applies to
// American Samoa, Guam, the Northern Mariana Islands, Puerto Rico, the U.S. Virgin Islands or the U.S. Minor
// Outlying Islands, so under countryCode US these regions are accepted and the postalCode is not required.
constexpr std::array<std::string_view, 6> kTerritoryRegions = {"US-AS", "US-GU", "US-MP", "US-PR", "US-VI",
                                                               "US-UM"};

bool Populated(const model::Text& t) { return t.has_value() && !t.empty(); }

template <size_t N>
bool OneOf(std::string_view v, const std::array<std::string_view, N>& set) {
  for (std::string_view s : set) {
    if (v == s) return true;
  }
  return false;
}

class AddressChecker {
 public:
  AddressChecker(Context& ctx, AddressOwner owner, int64_t index)
      : ctx_(ctx),
        index_(index),
        codes_(owner == AddressOwner::kFdid ? kFdidCodes : kCustomerCodes),
        record_(owner == AddressOwner::kFdid ? RecordKind::kFdid : RecordKind::kCustomer),
        owner_name_(owner == AddressOwner::kFdid ? "FDID" : "Customer") {}

  void Check(const model::Address& a) {
    CheckLines(a);
    const bool city_ok = CheckCity(a);
    const bool region_ok = CheckRegionText(a);
    const bool postal_ok = CheckPostalText(a);
    const bool country_ok = CheckCountry(a);
    if (country_ok) CheckUsRegion(a, city_ok, region_ok, postal_ok);
  }

 private:
  void Report(std::string_view rule, std::string_view code, const model::Address& a, std::string_view field,
              std::string message) {
    ctx_.Report(rule, code, record_, index_, a.origin, spec::Object::kAddressRecord, field,
        std::move(message));
  }

  int32_t Length(std::string_view field) {
    const spec::Field* f = ctx_.FieldOf(spec::Object::kAddressRecord, field);
    return f ? f->MaxLength(ctx_.options.as_of) : 0;
  }

  // address.lines and the line part of address.lengths [Table 8 addrLine1–addrLine4; App B 22035/22517].
  void CheckLines(const model::Address& a) {
    const std::array<const model::Text*, 4> lines = {&a.addr_line1, &a.addr_line2, &a.addr_line3,
        &a.addr_line4};
    static constexpr std::array<std::string_view, 4> kNames = {"addrLine1", "addrLine2", "addrLine3",
        "addrLine4"};
    if (!Populated(a.addr_line1)) {
      Report("address.lines", codes_.line1_missing, a, "addrLine1",
             std::string("addrLine1 is missing on this ") + owner_name_ + " Address Record.");
    }
    bool all_before = true;  // lines 1..n-1 all populated
    for (size_t n = 0; n < lines.size(); ++n) {
      const model::Text& line = *lines[n];
      if (!Populated(line)) {
        all_before = false;
        continue;
      }
      if (n > 0 && !all_before) {
        Report("address.lines", codes_.line_order, a, kNames[n],
               std::string(kNames[n]) + " is populated while an earlier address line is not.");
      }
      // Lines are checked as the books hold them: no trimming or re-wrapping [§5.1.3.1 R28; §5.1.3.2 R10].
      if (!IsExtendedText(*line, Length(kNames[n]))) {
        Report("address.lengths", codes_.line_format, a, kNames[n],
               std::string(kNames[n]) + " is not Extended Text within its maximum length.");
      }
    }
  }

  bool CheckCity(const model::Address& a) {
    if (!Populated(a.city)) {
      Report("address.lengths", codes_.city, a, "city", std::string("city is missing on this ") + owner_name_ +
                                                            " Address Record.");
      return false;
    }
    if (!IsExtendedText(*a.city, Length("city"))) {
      Report("address.lengths", codes_.city, a, "city",
          "city is not Extended Text within its maximum length.");
      return false;
    }
    return true;
  }

  bool CheckRegionText(const model::Address& a) {
    if (!Populated(a.region_code)) return true;
    if (!IsExtendedText(*a.region_code, Length("regionCode"))) {
      Report("address.lengths", codes_.region, a, "regionCode",
             "regionCode is not Extended Text within its maximum length.");
      return false;
    }
    return true;
  }

  bool CheckPostalText(const model::Address& a) {
    if (!Populated(a.postal_code)) return true;
    if (!IsText(*a.postal_code, Length("postalCode"))) {
      Report("address.lengths", codes_.postal, a, "postalCode",
          "postalCode is not Text within its maximum length.");
      return false;
    }
    return true;
  }

  // address.country [Table 8 countryCode; App E].
  bool CheckCountry(const model::Address& a) {
    if (!Populated(a.country_code)) {
      Report("address.country", codes_.country, a, "countryCode",
             std::string("countryCode is missing on this ") + owner_name_ + " Address Record.");
      return false;
    }
    if (!ctx_.profile.IsCountry(*a.country_code)) {
      Report("address.country", codes_.country, a, "countryCode",
             "countryCode is not an ISO 3166-1 alpha-2 code of Appendix E.");
      return false;
    }
    return true;
  }

  // address.us_region: countries with an App E region list (US, CA) need an ISO 3166-2 regionCode of that
  // list and a postalCode in the country's format [Table 8 regionCode, postalCode; App B 22037/22039]. AS,
  // GU, MP, PR, VI and UM given as countries have no region list or postal format in the profile, so nothing
  // is required of them; nor of them given as US regions (US-PR etc.) [App E fn 6].
  void CheckUsRegion(const model::Address& a, bool city_ok, bool region_ok, bool postal_ok) {
    const std::string country = a.country_code.str();
    if (country == "US" && Populated(a.region_code) && OneOf(*a.region_code, kTerritoryRegions)) return;
    if (ctx_.profile.HasRegionList(country)) {
      if (!Populated(a.region_code)) {
        Report("address.us_region", codes_.region, a, "regionCode",
               "regionCode is required when countryCode is " + country + ".");
      } else if (region_ok && !ctx_.profile.IsRegion(country, *a.region_code)) {
        Report("address.us_region", codes_.region, a, "regionCode",
               "regionCode is not an ISO 3166-2 code of the Appendix E list for countryCode " + country
                   + ".");
      } else if (region_ok && city_ok && OneOf(*a.region_code, kMilitaryRegions) &&
                 !OneOf(*a.city, kMilitaryCities)) {
        Report("address.us_region", codes_.region, a, "regionCode",
               "regionCode US-AA, US-AE or US-AP is only for military or diplomatic addresses whose city is APO, "
               "DPO or FPO.");
      }
    }
    // A country whose postal codes have a format in the profile requires one (PostalCodeMatches accepts
    // anything, including nothing, for the others).
    const bool postal_required = ctx_.profile.HasRegionList(country)
        || !ctx_.profile.PostalCodeMatches(country, "");
    if (!Populated(a.postal_code)) {
      if (postal_required) {
        Report("address.us_region", codes_.postal, a, "postalCode",
               "postalCode is required when countryCode is " + country + ".");
      }
    } else if (postal_ok && !ctx_.profile.PostalCodeMatches(country, *a.postal_code)) {
      Report("address.us_region", codes_.postal, a, "postalCode",
             "postalCode does not have the Appendix E format for countryCode " + country + ".");
    }
  }

  Context& ctx_;
  int64_t index_;
  const AddressCodes& codes_;
  RecordKind record_;
  const char* owner_name_;  // a literal: a checker is made per address list
};

}  // namespace

void CheckAddressList(Context& ctx, AddressOwner owner, int64_t index,
    const std::vector<model::Address>& list,
                      bool has_list, const model::Origin& owner_origin) {
  // has_list / owner_origin locate list-level findings, which the owner's family reports (fdid.address1,
  // customer.address); every finding here is about one Address Record.
  (void)has_list;
  (void)owner_origin;
  AddressChecker checker(ctx, owner, index);
  for (const model::Address& a : list) checker.Check(a);
}

}  // namespace caisson::validate
